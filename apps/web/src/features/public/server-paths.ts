/** "identity.email" → "email", "custom_responses.q1" → "cf.q1", "consents.privacy" → "consent". */
export function serverPathToKey(path: string): string {
  if (path.startsWith('identity.')) return path.slice('identity.'.length);
  if (path.startsWith('custom_responses.')) return `cf.${path.slice('custom_responses.'.length)}`;
  if (path.startsWith('consents')) return 'consent';
  return path;
}
