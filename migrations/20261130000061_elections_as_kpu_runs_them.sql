-- Elections as KPU runs them (issue 13): re-votes (PSU), DPK at the TPS Loksus as a setting,
-- Pilkada contests, and dapil areas at any level.

-- A PSU repeats the vote of some TPS; it may belong to a Pemilu or a Pilkada. A Pilkada's
-- region (where it holds a contest) is optional: the 2024 Pilkada was held almost everywhere,
-- and its contests say where.
alter table elections drop constraint elections_kind_check,
    add constraint elections_kind_check check (kind in ('pemilu', 'pilkada', 'psu'));
alter table elections drop constraint elections_check,
    add constraint elections_region_check check (kind <> 'pemilu' or region_code is null);

-- Whether inmates may vote as DPK at the TPS Loksus (KPU allowed it in 2024).
alter table elections add column dpk_at_loksus boolean not null default true;

-- The contests of a Pilkada: a Gubernur contest per province, a Bupati/Walikota contest per
-- kab/kota that holds one. A contest ballot exists at a TPS only where one of its contests
-- covers the TPS location.
create table election_contests (
    election_id bigint not null references elections (id) on delete cascade,
    contest     text not null check (contest in ('gubernur', 'bupati_walikota')),
    region_code text not null references regions (code),
    primary key (election_id, contest, region_code),
    check ((contest = 'gubernur' and length(region_code) = 2)
        or (contest = 'bupati_walikota' and length(region_code) = 5))
);
create trigger election_contests_stale_ins after insert on election_contests
    referencing new table as new_rows for each statement execute function mark_stale_by_election();
create trigger election_contests_stale_del after delete on election_contests
    referencing old table as old_rows for each statement execute function mark_stale_by_election();

-- A dapil area is a region code at any level (UU 7/2017 Pasal 189(1), 192(1): DPR and DPRD
-- Provinsi dapils may split a kab/kota, DPRD Kab/Kota dapils a kecamatan); the most specific
-- area containing an address decides. A DPRD Kab/Kota area is never larger than a kecamatan.
alter table dapil_regions drop constraint dapil_regions_check,
    add constraint dapil_regions_check check (
        region_code ~ '^[0-9]{2}(\.[0-9]{2}(\.[0-9]{2}(\.[0-9]{4})?)?)?$'
        and (contest <> 'dprd_kabkota' or length(region_code) >= 8));

-- The eligibility rule: an election with a region (a Pilkada, or its PSU) leaves out voters
-- whose home lies outside it; a Pilkada without one region (contests in several provinces)
-- leaves no one out by this rule, its contests decide the ballots. A Pemilu has no region.
create or replace function voter_reasons(
    birth_date date, marital_status text, rights_revoked boolean, release_date date,
    nik text, nik_flag text, home_region_code text,
    voting_day date, kind text, region_code text
) returns text[] language sql immutable as $$
    select array_remove(array[
        case when (birth_date + interval '17 years')::date > voting_day
                  and marital_status = 'never_married' then 'under_age' end,
        case when rights_revoked then 'rights_revoked' end,
        case when release_date is not null and release_date <= voting_day then 'released' end,
        case when nik is null or nik_flag = 'nik_mismatch' then 'no_valid_nik' end,
        case when region_code is not null and not coalesce(
                 home_region_code = region_code or home_region_code like region_code || '.%', false)
             then 'outside_region' end
    ], null)
$$;
