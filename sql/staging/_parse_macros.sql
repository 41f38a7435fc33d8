-- Parse macros for the staging models: raw export text (VARCHAR) -> typed values.
-- Grain: scalar functions, one value in, one value (or NULL when unparseable) out.
-- Parameters: txt = the raw field text; dialect = 'standard' (`,` `.` ISO) or 'german' (`;` `,` DD.MM.YYYY).
-- Empty text is NULL everywhere; the validator tells "missing" from "unparseable" by comparing with the raw text.
-- Created as TEMP macros so they never end up in the published database.

create or replace temp macro kam_blank(txt) as
    txt is null or trim(txt) = '';

-- Decimal: standard `1234.5` / `-1.5e3`; German `1.234,5` (a `.` is only ever a thousands separator).
create or replace temp macro kam_decimal(txt, dialect) as
    case
        when kam_blank(txt) then null
        when dialect = 'german' then
            case when regexp_full_match(trim(txt), '[+-]?(\d{1,3}(\.\d{3})+|\d+)(,\d+)?([eE][+-]?\d+)?')
                 then try_cast(replace(replace(trim(txt), '.', ''), ',', '.') as double) end
        else
            case when regexp_full_match(trim(txt), '[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?')
                 then try_cast(trim(txt) as double) end
    end;

-- Integer: a decimal with no fractional part that fits INTEGER (`7`, `7.0`, German `1.000`).
create or replace temp macro kam_integer(txt, dialect) as
    case
        when kam_decimal(txt, dialect) = round(kam_decimal(txt, dialect))
             and abs(kam_decimal(txt, dialect)) < 2147483648
        then kam_decimal(txt, dialect)::integer
    end;

create or replace temp macro kam_bool(txt) as
    case
        when lower(trim(txt)) in ('true', '1', 'yes', 'ja', 'y', 'x') then true
        when lower(trim(txt)) in ('false', '0', 'no', 'nein', 'n') then false
    end;

-- Date: `2026-11-26` or `26.11.2026` in either dialect (unambiguous); a midnight time part is tolerated.
create or replace temp macro kam_date(txt) as
    case
        when regexp_full_match(trim(txt), '\d{4}-\d{2}-\d{2}([T ]00:00(:00)?)?')
            then try_strptime(left(trim(txt), 10), '%Y-%m-%d')::date
        when regexp_full_match(trim(txt), '\d{1,2}\.\d{1,2}\.\d{4}( 00:00(:00)?)?')
            then try_strptime(split_part(trim(txt), ' ', 1), '%d.%m.%Y')::date
    end;

-- Timestamp -> TIMESTAMPTZ. With `Z`/`+01:00`: that instant. Without an offset: Europe/Berlin local time.
-- ISO `2026-11-26T08:15[:00[.123]]` (T or space) or German `26.11.2026 08:15[:00]`; a bare date is midnight.
create or replace temp macro kam_ts(txt) as
    case
        when regexp_full_match(trim(txt), '\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}(:?\d{2})?)')
            then try_cast(trim(txt) as timestamptz)
        when regexp_full_match(trim(txt), '\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?')
            then timezone('Europe/Berlin', try_cast(replace(trim(txt), 'T', ' ') as timestamp))
        when regexp_full_match(trim(txt), '\d{1,2}\.\d{1,2}\.\d{4}( \d{1,2}:\d{2}(:\d{2})?)?')
            then timezone('Europe/Berlin', coalesce(
                try_strptime(trim(txt), '%d.%m.%Y %H:%M:%S'),
                try_strptime(trim(txt), '%d.%m.%Y %H:%M'),
                try_strptime(trim(txt), '%d.%m.%Y')))
    end;

-- The dialect's common layout first (kam_date_in, kam_ts_in): one strptime instead of the regex chain.
-- A value counts as in the layout only when formatting the parsed value gives back exactly its text, so
-- `2026-1-5`, a tab or a blank never pass there; every other value goes through kam_date / kam_ts, which
-- define what a value means. A text exactly in the layout is accepted by their first matching pattern with
-- the same value, so both ways give identical results (tests/test_build_values.py).
create or replace temp macro kam_in_layout(txt, parsed, layout) as
    strftime(parsed, layout) = txt;

create or replace temp macro kam_date_in(txt, dialect) as
    case
        when txt = '' then null
        when dialect = 'german' and kam_in_layout(txt, try_strptime(txt, '%d.%m.%Y'), '%d.%m.%Y')
            then try_strptime(txt, '%d.%m.%Y')::date
        when dialect <> 'german' and kam_in_layout(txt, try_strptime(txt, '%Y-%m-%d'), '%Y-%m-%d')
            then try_strptime(txt, '%Y-%m-%d')::date
        else kam_date(txt)
    end;

create or replace temp macro kam_ts_in(txt, dialect) as
    case
        when txt = '' then null
        when dialect = 'german' and kam_in_layout(txt, try_strptime(txt, '%d.%m.%Y %H:%M'), '%d.%m.%Y %H:%M')
            then timezone('Europe/Berlin', try_strptime(txt, '%d.%m.%Y %H:%M'))
        when dialect <> 'german' and kam_in_layout(txt, try_strptime(txt, '%Y-%m-%dT%H:%M:%S'), '%Y-%m-%dT%H:%M:%S')
            then timezone('Europe/Berlin', try_strptime(txt, '%Y-%m-%dT%H:%M:%S'))
        else kam_ts(txt)
    end;

-- Month -> first day of the month: `2026-11`, `2026-11-01`, `11.2026`, `01.11.2026`; any other day is NULL.
create or replace temp macro kam_month(txt) as
    case
        when regexp_full_match(trim(txt), '\d{4}-\d{1,2}')
            then try_strptime(trim(txt) || '-01', '%Y-%m-%d')::date
        when regexp_full_match(trim(txt), '\d{1,2}\.\d{4}')
            then try_strptime('01.' || trim(txt), '%d.%m.%Y')::date
        when regexp_full_match(trim(txt), '\d{4}-\d{2}-01|0?1\.\d{1,2}\.\d{4}')
            then kam_date(txt)
    end;

-- Ids and free text are kept exactly as given; only the empty string becomes NULL.
create or replace temp macro kam_text(txt) as
    nullif(txt, '');

-- Enumerations: trimmed and lower case (kam_enum_upper for priorities); checked against the contract later.
create or replace temp macro kam_enum(txt) as
    nullif(lower(trim(txt)), '');

create or replace temp macro kam_enum_upper(txt) as
    nullif(upper(trim(txt)), '');
