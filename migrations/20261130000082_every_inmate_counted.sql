-- Every inmate counted, every voter on the right list (issue 14): broken NIKs kept and
-- flagged, admission dates, the pindah memilih form, KPU's TPS for DPT voters.

-- A malformed NIK no longer rejects the row: the inmate is kept without a NIK, flagged
-- `nik_invalid`, with the value as the file had it and why it is broken. A NIK whose date or
-- sex disagrees with the record (`nik_mismatch`) stays and keeps the voter eligible.
alter table voters drop constraint voters_nik_flag_check,
    add constraint voters_nik_flag_check
        check (nik_flag in ('no_nik', 'nik_invalid', 'nik_mismatch'));
alter table voters drop constraint voters_check,
    add constraint voters_nik_present_check
        check ((nik is null) = (nik_flag is not distinct from 'no_nik'
                                or nik_flag is not distinct from 'nik_invalid'));
alter table voters
    add column nik_raw text check (length(nik_raw) <= 64),
    add column nik_problem text check (nik_problem in
        ('length', 'letters', 'province', 'date', 'serial', 'scientific')),
    add constraint voters_nik_problem_flag_check
        check ((nik_problem is not null) = (nik_flag is not distinct from 'nik_invalid'));

-- The date of admission to this facility: lateness for pindah memilih is judged by it (H-30,
-- or H-7 for a detainee), not by when a file was imported. Unknown without it.
alter table voters add column admitted_on date;

-- The pindah memilih form (Model A) of a DPTb voter: origin TPS and desa, date, reason.
alter table voters
    add column form_origin_tps text check (btrim(form_origin_tps) <> '' and length(form_origin_tps) <= 20),
    add column form_origin_desa text check (form_origin_desa ~ '^[0-9]{2}\.[0-9]{2}\.[0-9]{2}\.[0-9]{4}$'),
    add column form_date date,
    add column form_reason text check (form_reason in
        ('duty', 'inpatient', 'disability_care', 'rehabilitation', 'detention', 'study',
         'moved_home', 'disaster', 'work'));

-- KPU's TPS for a DPT voter (its number at this facility): allocation keeps it.
alter table voters add column kpu_tps integer check (kpu_tps between 1 and 9999);

alter table roll_staging
    add column nik_raw text,
    add column nik_problem text,
    add column admitted_on date,
    add column form_origin_tps text,
    add column form_origin_desa text,
    add column form_date date,
    add column kpu_tps integer;

-- The eligibility rule: without a valid NIK (none, or a broken one) an inmate cannot vote; a
-- NIK that disagrees with the record is a warning, not an exclusion.
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
        case when nik is null then 'no_valid_nik' end,
        case when region_code is not null and not coalesce(
                 home_region_code = region_code or home_region_code like region_code || '.%', false)
             then 'outside_region' end
    ], null)
$$;

-- Lateness from the admission date: after H-30, or after H-7 for a detainee; null (unknown)
-- without an admission date.
drop view voters_with_reasons;
create view voters_with_reasons as
select v.*,
       voter_reasons(v.birth_date, v.marital_status, v.rights_revoked, v.release_date, v.nik,
                     v.nik_flag, v.home_region_code, e.voting_day, e.kind, e.region_code)
           as reasons,
       v.admitted_on > case v.legal_status when 'detainee' then e.detainee_transfer_deadline
                                           else e.transfer_deadline end as late
from voters v
join elections e on e.id = v.election_id;
