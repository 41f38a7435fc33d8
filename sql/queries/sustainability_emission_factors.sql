-- The effective emission factors: one row per (carrier, year), as used for CO2e.
-- Parameters: none.

select carrier, year, kg_co2e_per_kwh, source, origin
from mart_emission_factors
order by carrier, year
