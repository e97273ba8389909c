-- The load per day from the orders already scheduled (lib/planning/load.ts exactCapacityLoad, the
-- same SQL): one read of the orders, nothing rewritten. Code still running during a release does
-- not keep it: run `npm run kpi:rebuild` once the new version serves alone.
insert into capacity_load (day, units)
with cal as (select week, holidays from work_calendars where store_id is null),
o as (
  select id, (fields ->> 'orderQuantity')::int as q, (fields #>> '{productionSchedule,start}')::date as s, (fields #>> '{productionSchedule,end}')::date as e
  from orders
  where state = 'active' and stage in ('dispatchReceiving','inProduction')
    and jsonb_typeof(fields -> 'orderQuantity') = 'number' and fields #>> '{productionSchedule,start}' is not null and fields #>> '{productionSchedule,end}' is not null
),
d as (
  select o.id, o.q, g::date as day,
    (not exists (select 1 from cal) or exists (
      select 1 from cal where jsonb_typeof(cal.week -> extract(dow from g)::int) = 'object' and not cal.holidays ? to_char(g, 'YYYY-MM-DD')
    )) as working
  from o cross join lateral generate_series(o.s::timestamp, o.e::timestamp, interval '1 day') g
),
k as (
  select id, q, day from d where working
  union all
  select id, q, day from d where not exists (select 1 from d w where w.id = d.id and w.working)
),
r as (select id, q, day, row_number() over (partition by id order by day) as rn, count(*) over (partition by id) as n from k)
select day, sum(q / n + case when rn <= q % n then 1 else 0 end)::int as units from r group by day having sum(q / n + case when rn <= q % n then 1 else 0 end) <> 0;
