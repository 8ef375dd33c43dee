-- A draw gives away a named prize to one or more winners, all derived from the one committed seed.

alter table prize_drawings
  add column prize text check (prize is null or char_length(prize) between 1 and 100),
  add column winner_count integer not null default 1 check (winner_count between 1 and 100);

-- Every winner of a draw in draw order (position 0 is the one prize_drawings.winner_* also holds).
-- Denormalised like the winner block: the participants module owns its table, so no FK to it.
create table prize_drawing_winners (
  drawing_id uuid not null references prize_drawings (id) on delete cascade,
  position integer not null check (position >= 0),
  participant_id uuid not null,
  participant_name text not null,
  registration_number integer not null,
  primary key (drawing_id, position)
);
-- The rename hook finds a participant's wins; exclusion reads the winners of confirmed draws.
create index prize_drawing_winners_participant_idx on prize_drawing_winners (participant_id);

insert into prize_drawing_winners (drawing_id, position, participant_id, participant_name, registration_number)
select id, 0, winner_participant_id, winner_name, winner_registration_number from prize_drawings;
