EXPLAIN (ANALYZE, BUFFERS)
WITH query AS (SELECT websearch_to_tsquery('german', $$TERM$$) || websearch_to_tsquery('english', $$TERM$$) AS q),
hits AS MATERIALIZED (
  SELECT m.id, m.case_id, m.created_at, ts_rank_cd(m.search_vector, query.q, 32) AS rank
  FROM query, case_messages m JOIN cases c ON c.id = m.case_id
  WHERE m.search_vector @@ query.q AND c.market = ANY ('{DE,AT,CH}') AND c.merged_into_id IS NULL
  AND m.created_at >= now() - interval 'WINDOW'
  LIMIT 1000
),
best AS (
  SELECT DISTINCT ON (case_id) case_id, id, rank, created_at FROM hits ORDER BY case_id, rank DESC, created_at DESC
)
SELECT case_id, id, rank, count(*) OVER () total FROM best ORDER BY rank DESC, created_at DESC LIMIT 25
