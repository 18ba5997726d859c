-- The cities searched in the generated data (cities.tsv: name, country, latitude, longitude).
SET client_min_messages = warning;
DROP TABLE IF EXISTS bench_cities;
CREATE TABLE bench_cities (n int GENERATED ALWAYS AS IDENTITY PRIMARY KEY, city text, country text, lat float8, lon float8);
\copy bench_cities (city, country, lat, lon) FROM pstdin
