-- 加载记录：历次数据加载（含本次）的时间、数据截至日期、结果、文件数、行数、错误与警告数，最新在前。
-- Grain: one row per load. Parameters: none.
SELECT seq, load_id, loaded_at, status, as_of, files, rows, errors, warnings
FROM meta.load_history
ORDER BY seq DESC
