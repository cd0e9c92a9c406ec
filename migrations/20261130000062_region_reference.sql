-- The complete Kemendagri region reference (38 provinces, 514 kab/kota, 7.277 kecamatan,
-- 83.763 desa/kelurahan from the package idn-area-data, ODbL 1.0) is loaded by the
-- application right after the migrations (`src/db/regions`), whenever the shipped data
-- differs from the one recorded in app_meta ('regions_reference'). It corrects the names
-- typed by hand in the second migration (16.73 is Kota Lubuklinggau, 31.71 Jakarta Pusat).

-- The name exactly as the reference writes it ("KOTA LUBUK LINGGAU"); `name` is the form
-- pages show ("Kota Lubuk Linggau"). Null for a region the reference does not hold.
alter table regions add column data_name text;

-- The shape of a reference load in progress. The loader creates a temporary table of this
-- shape with the same name, which shadows this one for its transaction (as roll_staging
-- does): filled with COPY, merged into regions, dropped at commit. This one stays empty.
create unlogged table region_staging (
    code      text not null,
    name      text not null,
    data_name text not null
);
