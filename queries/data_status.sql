-- 数据状态：当前仓库的数据截至日期、加载批次与加载时间。
-- Grain: one row. Parameters: none.
SELECT as_of, load_id, loaded_at FROM meta.load_info
