-- One ballot box per ballot type at the TPS (Pemilu 5, DKI Jakarta 4, Pilkada 2), not a
-- fixed "5 kotak suara": the checklist item says so, and the TPS page gives the number.
update readiness_items set label = 'Kotak suara: satu per jenis surat suara di TPS'
where key = 'kotak_suara' and label = '5 kotak suara';

create or replace function add_default_readiness_items(election bigint) returns void language sql as $$
    insert into readiness_items (election_id, key, short_label, label, required, auto, position)
    select election, d.key, d.short_label, d.label, true, d.auto, d.position
    from (values
        (1, 'lokasi', 'Lokasi', 'Lokasi TPS ditetapkan', 'location'),
        (2, 'kpps_dibentuk', 'KPPS', 'KPPS terbentuk (7 anggota)', null),
        (3, 'kpps_bimtek', 'Bimtek', 'KPPS sudah mengikuti bimbingan teknis', null),
        (4, 'dpt_diumumkan', 'DPT', 'Salinan DPT diterima dan diumumkan', null),
        (5, 'surat_suara', 'Surat suara', 'Surat suara diterima sesuai kebutuhan (per jenis)', 'ballots'),
        (6, 'kotak_suara', 'Kotak', 'Kotak suara: satu per jenis surat suara di TPS', null),
        (7, 'bilik_suara', 'Bilik', 'Bilik suara', null),
        (8, 'perlengkapan', 'Perlengkapan', 'Tinta, segel, alat coblos dan formulir', null),
        (9, 'keamanan', 'Keamanan', 'Pengamanan: petugas, Linmas, koordinasi kepolisian', null),
        (10, 'listrik', 'Listrik', 'Listrik dan penerangan', null),
        (11, 'akses_disabilitas', 'Akses', 'Akses bagi pemilih penyandang disabilitas', null),
        (12, 'rencana_bencana', 'Bencana', 'Rencana banjir dan bencana untuk penyimpanan surat suara', null)
    ) as d (position, key, short_label, label, auto);
$$;
