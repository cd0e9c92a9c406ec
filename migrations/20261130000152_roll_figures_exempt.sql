-- roll_figures (migration 151) is derived like facility_figures: rebuilt from tables that
-- raise the data generation, so it raises none itself.
create or replace function data_generation_exempt(t name) returns boolean language sql immutable as $$
    select t in (
        'facility_figures', 'province_figures', 'roll_figures', 'figures_stale',
        'station_voting_day', 'province_voting_day',
        'audit_log', 'login_attempts', 'bench_fortunes',
        'roll_staging', 'region_staging',
        'data_generation', 'data_changes', '_sqlx_migrations'
    )
$$;
