-- 各台账行数：当前仓库中每个台账加载的记录数，及其来源文件与工作表数。
-- Grain: one row per ledger.
-- Parameters: none.
SELECT r.ledger, r.rows,
       count(p.piece) AS pieces,
       coalesce(string_agg(DISTINCT p.file, '、' ORDER BY p.file), '') AS files
FROM meta.ledger_rows r LEFT JOIN meta.source_pieces p USING (ledger)
GROUP BY r.ledger, r.rows
ORDER BY r.ledger
