-- The published build: one row (build_info) plus the KPI as-of date.
select
    b.build_id,
    b.built_at,
    p.as_of,
    b.exported_at,
    b.export_dir,
    b.duration_s,
    b.rows_loaded,
    b.rows_rejected,
    b.rows_superseded,
    b.project_version
from build_info as b
cross join kpi_params as p
