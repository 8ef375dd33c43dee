-- Links people's browsers open are https only (http for loopback hosts, development). Rows written
-- before that rule may hold plain-http links, which the API would now refuse to send back: upgrade
-- them to https (the same address over TLS), and drop what is not a web link at all.
update users
   set profile_image_url = case
     when profile_image_url ~* '^http://(localhost|127\.0\.0\.1|\[::1\])([:/]|$)' then profile_image_url
     when profile_image_url ~* '^http://' then 'https://' || substring(profile_image_url from 8)
     else null end
 where profile_image_url is not null and profile_image_url !~* '^https://';

update events
   set location = jsonb_set(location, '{online_link}', case
     when location->>'online_link' ~* '^http://(localhost|127\.0\.0\.1|\[::1\])([:/]|$)' then location->'online_link'
     when location->>'online_link' ~* '^http://' then to_jsonb('https://' || substring(location->>'online_link' from 8))
     else 'null'::jsonb end)
 where location->>'online_link' is not null and location->>'online_link' !~* '^https://';

update events
   set branding = case
     when branding->>'logo_url' ~* '^http://(localhost|127\.0\.0\.1|\[::1\])([:/]|$)' then branding
     when branding->>'logo_url' ~* '^http://' then jsonb_set(branding, '{logo_url}', to_jsonb('https://' || substring(branding->>'logo_url' from 8)))
     else null end
 where branding ? 'logo_url' and branding->>'logo_url' !~* '^https://';
