-- The naming rule (English inside, database values included): a voter's legal status and
-- marital status are stored in English. The roll file and the pages keep their Indonesian
-- values (NAPI/TAHANAN, BELUM KAWIN/KAWIN/CERAI HIDUP/CERAI MATI).
alter table voters drop constraint voters_legal_status_check;
alter table voters drop constraint voters_marital_status_check;
alter table voters alter column marital_status drop default;
update voters set
    legal_status = case legal_status when 'napi' then 'convict' when 'tahanan' then 'detainee'
                                     else legal_status end,
    marital_status = case marital_status when 'belum_kawin' then 'never_married'
                                         when 'kawin' then 'married'
                                         when 'cerai_hidup' then 'divorced'
                                         when 'cerai_mati' then 'widowed'
                                         else marital_status end
where legal_status in ('napi', 'tahanan')
   or marital_status in ('belum_kawin', 'kawin', 'cerai_hidup', 'cerai_mati');
alter table voters add constraint voters_legal_status_check
    check (legal_status in ('convict', 'detainee'));
alter table voters add constraint voters_marital_status_check
    check (marital_status in ('never_married', 'married', 'divorced', 'widowed'));
alter table voters alter column marital_status set default 'never_married';

-- The one rule in SQL, reading the English value.
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
        case when kind = 'pilkada' and not coalesce(
                 home_region_code = region_code or home_region_code like region_code || '.%', false)
             then 'outside_region' end
    ], null)
$$;

-- Readiness statuses in English too (the form keeps belum / sebagian / siap).
alter table station_readiness drop constraint station_readiness_status_check;
update station_readiness set status = case status when 'belum' then 'missing'
                                                  when 'sebagian' then 'partial'
                                                  when 'siap' then 'ready'
                                                  else status end;
alter table station_readiness add constraint station_readiness_status_check
    check (status in ('missing', 'partial', 'ready'));
