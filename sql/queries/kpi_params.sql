-- The KPI parameters frozen into this build: one row (kpi_params) with as_of, d_end,
-- last_complete_month and every [kpi], [alerts] and [health] setting the build used,
-- flattened (kpi_overload_threshold_pct, health_components_sla_bad, ...). Pages take
-- thresholds from here, not from today's settings.toml, so a page explains its figures
-- with the values they were computed with.
-- Parameters: none (reference data: no account rows).
select *
from kpi_params
