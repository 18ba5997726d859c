-- Generates searches lo..hi of `total` over the `span_days` days up to `end_ts` (oldest first,
-- so ids grow with time), across the cities of bench_cities (loaded from cities.tsv), busy
-- cities searched more often. The first `old` rows are spread evenly up to an hour before
-- `days` days before `end_ts`, the others evenly from six hours after it, so a cleanup of
-- "older than `days` days" run within six hours of `end_ts` deletes exactly the `old` rows.
-- Figures are plausible for each city's latitude and hour, with noise; 99.8 % of the rows are
-- processed (derived columns set).
--   psql -v lo=1 -v hi=1000000 -v total=10000000 -v old=3000000 -v days=42 -v span_days=60 \
--        -v end_ts="'...'" -f generate.sql
SELECT setseed((:lo % 1000) / 1000.0) \g /dev/null
INSERT INTO weather_searches (
    city, country, latitude, longitude, temperature, feels_like, temp_min, temp_max, humidity, pressure, wind_speed,
    wind_direction, cloudiness, condition_code, condition_main, condition_description, observed_at, searched_at,
    dew_point, heat_index, wind_chill, beaufort, comfort, processed_at)
SELECT c.city, c.country, c.lat, c.lon, w.temperature, round((w.temperature - 1.5 + random() * 2)::numeric, 2),
    round((w.temperature - random() * 2)::numeric, 2), round((w.temperature + random() * 2)::numeric, 2),
    w.humidity, 990 + floor(random() * 40)::int, w.wind, floor(random() * 360)::int, floor(random() * 101)::int,
    k.code, k.main, k.description, w.at - interval '90 seconds', w.at,
    CASE WHEN w.processed THEN round((w.temperature - (100 - w.humidity) / 5.0)::numeric, 2) END,
    CASE WHEN w.processed AND w.temperature >= 27 THEN round((w.temperature + 0.05 * w.humidity)::numeric, 2) END,
    CASE WHEN w.processed AND w.temperature <= 10 AND w.wind > 1.34 THEN round((w.temperature - w.wind)::numeric, 2) END,
    CASE WHEN w.processed THEN least(12, floor(power(w.wind / 0.836, 2.0 / 3)))::smallint END,
    CASE WHEN NOT w.processed THEN NULL WHEN w.temperature < 0 THEN 'freezing' WHEN w.temperature < 10 THEN 'cold'
        WHEN w.temperature < 18 THEN 'cool' WHEN w.temperature < 24 THEN 'comfortable' WHEN w.temperature < 29 THEN 'warm'
        ELSE 'hot' END,
    CASE WHEN w.processed THEN w.at + interval '2 seconds' END
FROM generate_series(:lo, :hi) AS g(i)
CROSS JOIN LATERAL (
    SELECT CASE WHEN g.i <= :old
            THEN :end_ts::timestamptz - interval '1 day' * :span_days
                + (interval '1 day' * (:span_days - :days) - interval '1 hour') * ((g.i - 1)::float8 / greatest(:old - 1, 1))
            ELSE :end_ts::timestamptz - interval '1 day' * :days + interval '6 hours'
                + (interval '1 day' * :days - interval '6 hours') * ((g.i - :old - 1)::float8 / greatest(:total - :old - 1, 1))
        END AS at,
        1 + floor((SELECT count(*) FROM bench_cities) * power(random(), 1.7))::int AS city_no,
        30 + floor(random() * 71)::int AS humidity,
        round((power(random(), 2) * 15)::numeric, 1)::float8 AS wind,
        random() > 0.002 AS processed,
        floor(random() * 8)::int AS kind
) AS r
JOIN bench_cities c ON c.n = r.city_no
CROSS JOIN LATERAL (
    SELECT r.at, r.humidity, r.wind, r.processed,
        round((27 - 0.5 * abs(c.lat) + 5 * sin(2 * pi() * (extract(hour FROM r.at) + c.lon / 15 - 9) / 24)
            + random() * 6 - 3)::numeric, 2)::float8 AS temperature
) AS w
CROSS JOIN LATERAL (
    SELECT (ARRAY[800, 801, 803, 500, 501, 741, 211, 600])[r.kind + 1] AS code,
        (ARRAY['Clear', 'Clouds', 'Clouds', 'Rain', 'Rain', 'Fog', 'Thunderstorm', 'Snow'])[r.kind + 1] AS main,
        (ARRAY['clear sky', 'few clouds', 'broken clouds', 'light rain', 'moderate rain', 'fog', 'thunderstorm',
            'light snow'])[r.kind + 1] AS description
) AS k;
