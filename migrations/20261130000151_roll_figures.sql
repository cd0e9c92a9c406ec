-- The roll page's counts per filter (issue 17): one row per facility and election, rebuilt
-- with `facility_figures` from the facilities marked in `figures_stale` (the same triggers),
-- so the page reads one row instead of counting the roll with its reasons on every request.
create table roll_figures (
    election_id       bigint not null references elections (id) on delete cascade,
    facility_id       bigint not null references facilities (id) on delete cascade,
    active            integer not null,
    eligible          integer not null,
    under_age         integer not null,
    rights_revoked    integer not null,
    released          integer not null,
    no_valid_nik      integer not null,
    outside_region    integer not null,
    dpt               integer not null,
    dptb              integer not null,
    dpk               integer not null,
    unlisted          integer not null,
    no_nik            integer not null,
    nik_invalid       integer not null,
    nik_mismatch      integer not null,
    home_from_nik     integer not null,
    dpk_without_ktp   integer not null,
    late              integer not null,
    admission_unknown integer not null,
    departed          integer not null,
    primary key (election_id, facility_id)
);

-- Build them for what is already there.
insert into figures_stale select id, null from elections;
