-- Shared helpers, reference regions, facilities, elections and special polling stations.

create function set_updated_at() returns trigger language plpgsql as $$
begin
    new.updated_at := now();
    return new;
end;
$$;

-- Small key/value facts about this database (e.g. when the demo data was loaded).
create table app_meta (
    key        text primary key,
    value      text not null,
    updated_at timestamptz not null default now()
);

-- Kemendagri region codes, dotted: province "16", kab/kota "16.71", kecamatan "16.71.01",
-- desa/kelurahan "16.71.01.1001". The level follows from the code's shape.
create table regions (
    code        text primary key
                check (code ~ '^[0-9]{2}(\.[0-9]{2}(\.[0-9]{2}(\.[0-9]{4})?)?)?$'),
    name        text not null check (btrim(name) <> ''),
    level       text not null generated always as (
                    case length(code)
                        when 2 then 'provinsi'
                        when 5 then 'kabkota'
                        when 8 then 'kecamatan'
                        else 'desa'
                    end) stored,
    parent_code text references regions (code),
    check ((length(code) = 2 and parent_code is null)
        or (length(code) > 2 and parent_code = left(code, length(code) - case length(code)
                                                          when 13 then 5 else 3 end)))
);
create index regions_parent_idx on regions (parent_code);

create table facilities (
    id            bigint generated always as identity primary key,
    code          text not null unique check (code ~ '^[a-z0-9]+(-[a-z0-9]+)*$' and length(code) <= 60),
    name          text not null check (btrim(name) <> ''),
    facility_type text not null check (facility_type in
                      ('lapas', 'lapas_perempuan', 'lapas_narkotika', 'rutan', 'cabang_rutan', 'lpka')),
    class         text check (class in ('I', 'IIA', 'IIB', 'III')),
    province_code text not null references regions (code),
    kabkota_code  text not null references regions (code),
    inmates       integer not null default 0 check (inmates >= 0),
    -- Demo rows whose name or figures are made up rather than taken from a public source.
    illustrative  boolean not null default false,
    created_at    timestamptz not null default now(),
    updated_at    timestamptz not null default now(),
    check (length(province_code) = 2),
    check (length(kabkota_code) = 5 and left(kabkota_code, 2) = province_code)
);
create index facilities_province_idx on facilities (province_code);
create trigger facilities_updated_at before update on facilities
    for each row execute function set_updated_at();

create table elections (
    id                          bigint generated always as identity primary key,
    slug                        text not null unique check (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
    name                        text not null check (btrim(name) <> ''),
    kind                        text not null check (kind in ('pemilu', 'pilkada')),
    voting_day                  date not null,
    -- Pindah memilih (move to the DPTb): most reasons by H-30, detainees until H-7.
    transfer_deadline           date not null,
    detainee_transfer_deadline  date not null,
    max_voters_per_tps          integer not null check (max_voters_per_tps > 0),
    -- Reserve ballots per TPS and type, in hundredths of a percent of the TPS's DPT
    -- (200 = 2%), rounded up; integers so that 2% of 150 is exactly 3.
    reserve_basis_points        integer not null check (reserve_basis_points between 0 and 10000),
    ballot_types                text[] not null check (
                                    cardinality(ballot_types) > 0
                                    and ballot_types <@ array['ppwp', 'dpr', 'dpd', 'dprd_prov',
                                        'dprd_kabkota', 'gubernur', 'bupati_walikota']::text[]),
    -- The region holding a pilkada (a province or a kab/kota); none for a national pemilu.
    region_code                 text references regions (code),
    created_at                  timestamptz not null default now(),
    updated_at                  timestamptz not null default now(),
    check ((kind = 'pilkada') = (region_code is not null)),
    check (transfer_deadline <= detainee_transfer_deadline and detainee_transfer_deadline <= voting_day)
);
create trigger elections_updated_at before update on elections
    for each row execute function set_updated_at();

-- TPS Lokasi Khusus: one special polling station of a facility for an election, with the
-- official counts KPU set for it.
create table stations (
    id          bigint generated always as identity primary key,
    election_id bigint not null references elections (id) on delete cascade,
    facility_id bigint not null references facilities (id) on delete restrict,
    tps_number  integer not null check (tps_number between 1 and 9999),
    dpt         integer not null default 0 check (dpt >= 0),
    dptb        integer not null default 0 check (dptb >= 0),
    dpk         integer not null default 0 check (dpk >= 0),
    created_at  timestamptz not null default now(),
    updated_at  timestamptz not null default now(),
    unique (election_id, facility_id, tps_number)
);
create index stations_facility_idx on stations (facility_id);
create trigger stations_updated_at before update on stations
    for each row execute function set_updated_at();
