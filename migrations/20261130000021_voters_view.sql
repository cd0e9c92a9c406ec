-- Voters with what lists and counts read beside each one: why they may not vote on their
-- election's voting day (`voter_reasons`, the one rule in SQL) and whether they arrived after
-- the election's transfer deadline. Queries read this view instead of repeating the
-- ten-argument call; `voter_reasons` itself stays.
create view voters_with_reasons as
select v.*,
       voter_reasons(v.birth_date, v.marital_status, v.rights_revoked, v.release_date, v.nik,
                     v.nik_flag, v.home_region_code, e.voting_day, e.kind, e.region_code)
           as reasons,
       (v.arrived_at at time zone 'Asia/Jakarta')::date > e.transfer_deadline as late
from voters v
join elections e on e.id = v.election_id;
