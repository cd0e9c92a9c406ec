-- The benchmark baseline (`scripts/bench`): a 12-row table read and rendered by
-- `/bench/fortunes`, the shape of TechEmpower's "Fortunes" test. Served only with
-- `--bench-routes`; the rows are ours.
create table bench_fortunes (
    id      integer primary key,
    message text not null
);
insert into bench_fortunes (id, message) values
    (1, 'Air beriak tanda tak dalam.'),
    (2, 'Berat sama dipikul, ringan sama dijinjing.'),
    (3, 'Sedikit demi sedikit, lama-lama menjadi bukit.'),
    (4, 'Di mana bumi dipijak, di situ langit dijunjung.'),
    (5, 'Tak ada rotan, akar pun jadi.'),
    (6, 'Bersatu kita teguh, bercerai kita runtuh.'),
    (7, 'Hemat pangkal kaya, rajin pangkal pandai.'),
    (8, 'Ada gula ada semut.'),
    (9, 'Tong kosong nyaring bunyinya.'),
    (10, 'Sekali merengkuh dayung, dua tiga pulau terlampaui.'),
    (11, 'Karakter <script>alert("uji")</script> tetap di-escape.'),
    (12, 'フォーチュン: teks UTF-8 juga aman.');
