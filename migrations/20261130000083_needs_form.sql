-- Who still needs a pindah memilih form, defined once beside the reasons and lateness: an
-- active voter on the DPTb or on no list, without a form recorded, who could vote here with
-- one (not under age, not stripped of the right, not released, not outside the region).
create or replace view voters_with_reasons as
select v.*,
       r.reasons,
       v.admitted_on > case v.legal_status when 'detainee' then e.detainee_transfer_deadline
                                           else e.transfer_deadline end as late,
       (v.status = 'active' and v.form_origin_tps is null
        and (v.list is null or v.list = 'dptb')
        and not r.reasons && array['under_age', 'rights_revoked', 'released', 'outside_region'])
           as needs_form
from voters v
join elections e on e.id = v.election_id
cross join lateral (
    select voter_reasons(v.birth_date, v.marital_status, v.rights_revoked, v.release_date,
                         v.nik, v.nik_flag, v.home_region_code, e.voting_day, e.kind,
                         e.region_code) as reasons
) r;
