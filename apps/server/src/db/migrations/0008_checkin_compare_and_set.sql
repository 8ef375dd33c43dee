-- Owner: checkin. A sync batch is written optimistically (see checkin.service.ts): it reads the
-- participants' versions and logs in one statement, resolves their states in the application, and
-- writes everything in ONE statement that updates each participant only if its version is still
-- the one it read (compare-and-set) and inserts only log ids not applied before. When a row moved
-- on in between (another instance, another writer) or a mutation id was applied meanwhile, the
-- statement must leave no trace: this function aborts it with serialization_failure (40001), which
-- rolls back every part of that statement, and the service reads again and retries.
create function checkin_expect_current(ok boolean) returns boolean
language plpgsql volatile as $$
begin
  if not ok then
    raise exception 'a participant of this check-in batch changed concurrently'
      using errcode = 'serialization_failure';
  end if;
  return true;
end
$$;
