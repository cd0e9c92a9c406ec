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
