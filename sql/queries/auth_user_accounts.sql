-- The accounts a user with the role `kam` may see (kamdata.auth.account_scope): those whose KAM is the
-- active employee with this e-mail (case-insensitive), and those on whose account team that employee is.
-- Run unscoped by design: it computes the scope itself, returns account ids only, and is run by the
-- login before any page query (never shown). No such employee: no rows (the user sees nothing).
-- Parameters: $email.

with me as (
    select employee_id
    from stg_employees
    where active
      and email is not null
      and lower(trim(email)) = lower(trim($email))
)

select account_id from stg_accounts where kam_id in (select employee_id from me)
union
select account_id from stg_account_team where employee_id in (select employee_id from me)
order by account_id
