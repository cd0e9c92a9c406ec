-- Issue 11: a NIK active at another facility never leaves that roll by the destination's action
-- alone. The destination records a pending arrival; the move happens when the origin (its
-- registrar, or a kanwil/admin whose scope covers it) confirms.
create table transfers (
    id               bigint generated always as identity primary key,
    election_id      bigint not null references elections (id) on delete cascade,
    -- The voter row on the origin's roll.
    voter_id         bigint not null references voters (id) on delete cascade,
    from_facility_id bigint not null references facilities (id),
    to_facility_id   bigint not null references facilities (id),
    -- The destination's record of the inmate (a roll_staging row as JSON), inserted on confirm.
    arrival          jsonb not null,
    status           text not null default 'pending'
                     check (status in ('pending', 'confirmed', 'refused', 'cancelled')),
    requested_by     bigint references users (id),
    requested_at     timestamptz not null default now(),
    decided_by       bigint references users (id),
    decided_at       timestamptz,
    check ((status = 'pending') = (decided_at is null)),
    check (from_facility_id <> to_facility_id)
);
-- One open request per voter and destination.
create unique index transfers_pending_idx on transfers (voter_id, to_facility_id)
    where status = 'pending';
create index transfers_from_idx on transfers (from_facility_id, election_id) where status = 'pending';
create index transfers_to_idx on transfers (to_facility_id, election_id) where status = 'pending';

-- Where a transferred voter went, so the reason can name the facility only to users whose
-- scope covers it.
alter table voters add column departed_to bigint references facilities (id);

-- Upload contents are deleted once confirmed or abandoned; the row (and the audit) keeps the
-- summary.
alter table roll_uploads alter column content drop not null;
alter table roll_uploads add column purged_at timestamptz;
create index roll_uploads_unpurged_idx on roll_uploads (created_at) where content is not null;
