-- Who needs Disdukcapil, defined once: an active voter without a valid NIK (none, broken, or
-- one whose date or sex disagrees with the record) or without a KTP-el, who is 17 or (ever)
-- married by voting day (children are not listed). The Disdukcapil list and the home page's
-- task count both read it, so they always agree.
create function needs_disdukcapil(status text, nik_flag text, ktp_el boolean, reasons text[])
returns boolean language sql immutable as $$
    select status = 'active' and (nik_flag is not null or ktp_el is false)
           and not 'under_age' = any(reasons)
$$;
