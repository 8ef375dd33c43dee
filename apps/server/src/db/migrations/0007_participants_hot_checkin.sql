-- Owner: participants. Check-in writes must stay cheap on event day.
--
-- Every check-in or undo updates one participant row (status, time, who, device, version). When no
-- indexed column changes and the page has room, PostgreSQL makes it a HOT update: no entry in any of
-- the table's eight indexes (two of them trigram GIN indexes for search). Two things prevented that:
--
-- 1. An index on (event_id, checkin_status): every check-in changed an indexed column, so every
--    check-in inserted into every index. Filtering by check-in status reads one event's rows through
--    the event_id-leading indexes instead (a few thousand rows, and the dashboard's counts view
--    aggregates them anyway), so the index costs far more on the write path than it saves.
-- 2. Full pages: leave a fifth of each page free so the new row version fits beside the old one.
--    (Applies to pages written from now on.)
drop index if exists participants_event_checkin_idx;
alter table participants set (fillfactor = 80);
