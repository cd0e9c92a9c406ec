-- Inmate voter rolls: one roll per facility and election.

create table voters (
    id                 bigint generated always as identity primary key,
    election_id        bigint not null references elections (id) on delete cascade,
    facility_id        bigint not null references facilities (id),
    -- Identity within the roll: 'nik:<nik>', else 'reg:<no_registrasi>', else 'nb:<name>|<date>'.
    row_key            text not null,
    nik                text check (nik ~ '^[0-9]{16}$'),
    -- no_nik: empty or zero NIK; nik_mismatch: the NIK's date or sex disagrees.
    nik_flag           text check (nik_flag in ('no_nik', 'nik_mismatch')),
    name               text not null check (btrim(name) <> ''),
    birth_date         date not null,
    sex                text not null check (sex in ('L', 'P')),
    legal_status       text not null check (legal_status in ('napi', 'tahanan')),
    marital_status     text not null default 'belum_kawin'
                       check (marital_status in ('belum_kawin', 'kawin', 'cerai_hidup', 'cerai_mati')),
    home_region_code   text check (home_region_code ~ '^[0-9]{2}\.[0-9]{2}\.[0-9]{2}(\.[0-9]{4})?$'),
    home_from_nik      boolean not null default false,
    rights_revoked     boolean not null default false,
    release_date       date,
    list               text check (list in ('dpt', 'dptb', 'dpk')),
    birth_place        text,
    registration_no    text,
    disability         text,
    ktp_el             boolean,
    status             text not null default 'active' check (status in ('active', 'departed')),
    departed_reason    text,
    departed_at        timestamptz,
    transferred_from   bigint references facilities (id),
    arrived_at         timestamptz not null default now(),
    created_at         timestamptz not null default now(),
    updated_at         timestamptz not null default now(),
    unique (election_id, facility_id, row_key),
    check ((nik is null) = (nik_flag is not distinct from 'no_nik')),
    check ((status = 'departed') = (departed_at is not null))
);
-- A NIK is on at most one facility's active roll per election.
create unique index voters_active_nik_idx on voters (election_id, nik)
    where status = 'active' and nik is not null;
create index voters_roll_idx on voters (facility_id, election_id, status);
create trigger voters_updated_at before update on voters
    for each row execute function set_updated_at();

-- Why a voter may not vote on the election's voting day (empty: may vote). Mirrors
-- `rolls::eligibility::reasons`; computed when read, so it follows the voting day.
create function voter_reasons(
    birth_date date, marital_status text, rights_revoked boolean, release_date date,
    nik text, nik_flag text, home_region_code text,
    voting_day date, kind text, region_code text
) returns text[] language sql immutable as $$
    select array_remove(array[
        case when (birth_date + interval '17 years')::date > voting_day
                  and marital_status = 'belum_kawin' then 'under_age' end,
        case when rights_revoked then 'rights_revoked' end,
        case when release_date is not null and release_date <= voting_day then 'released' end,
        case when nik is null or nik_flag = 'nik_mismatch' then 'no_valid_nik' end,
        case when kind = 'pilkada' and not coalesce(
                 home_region_code = region_code or home_region_code like region_code || '.%', false)
             then 'outside_region' end
    ], null)
$$;

-- Uploaded roll files between preview and confirmation (kept for the rejected-rows download).
create table roll_uploads (
    id          bigint generated always as identity primary key,
    election_id bigint not null references elections (id) on delete cascade,
    facility_id bigint not null references facilities (id),
    user_id     bigint not null references users (id),
    filename    text not null,
    content     bytea not null,
    mode        text not null check (mode in ('upsert', 'replace')),
    accept_transfers boolean not null default false,
    skip_invalid boolean not null default false,
    confirmed_at timestamptz,
    created_at  timestamptz not null default now()
);

-- The shape of the rows of an import in progress. Each import creates a temporary table of
-- this shape with the same name (`create temp table roll_staging (like public.roll_staging)`),
-- which shadows this one for its transaction: loaded with COPY, applied with set-based
-- statements, dropped at commit. This table itself stays empty; queries are checked against it.
create unlogged table roll_staging (
    import_id        bigint not null,
    line             bigint not null,
    row_key          text not null,
    nik              text,
    nik_flag         text,
    name             text not null,
    birth_date       date not null,
    sex              text not null,
    legal_status     text not null,
    marital_status   text not null,
    home_region_code text,
    home_from_nik    boolean not null,
    rights_revoked   boolean not null,
    release_date     date,
    list             text,
    birth_place      text,
    registration_no  text,
    disability       text,
    ktp_el           boolean,
    transferred_from bigint
);
create sequence roll_import_seq;
