-- Voting day per TPS as the reports read it (issue 15): the latest turnout report and whether
-- the ballot accounting balances, one row per TPS that has either. Written in the same
-- transaction as every turnout report and ballot account (and again when a figures rebuild
-- changes which ballot types a TPS has), so the dashboards sum at most one row per TPS
-- instead of searching the history tables.
create table station_voting_day (
    station_id  bigint primary key references stations (id) on delete cascade,
    voted_dpt   integer check (voted_dpt >= 0),
    voted_dptb  integer check (voted_dptb >= 0),
    voted_dpk   integer check (voted_dpk >= 0),
    voted_men   integer check (voted_men >= 0),
    voted_women integer check (voted_women >= 0),
    -- When the latest turnout report was made; null while the TPS has not reported.
    reported_at timestamptz,
    -- 'none' until any ballot account is recorded; then 'balanced' or 'unbalanced' by the
    -- rule of `domain::ballot_accounts`.
    balance     text not null default 'none'
                check (balance in ('none', 'balanced', 'unbalanced')),
    check ((reported_at is null) = (voted_dpt is null))
);

-- The same summed per province, recounted in the same transactions after the TPS rows (under
-- the province row's lock, so two writers in one province never lose each other's counts):
-- the national dashboard reads one row per province on voting day.
create table province_voting_day (
    election_id         bigint not null references elections (id) on delete cascade,
    province_code       text not null references regions (code),
    stations_reported   integer not null default 0,
    voted               bigint not null default 0,
    voted_men           bigint not null default 0,
    voted_women         bigint not null default 0,
    stations_unbalanced integer not null default 0,
    primary key (election_id, province_code)
);
