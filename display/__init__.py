"""What users see, without Streamlit: number formats, the column dictionary, the status rule's
colours, charts, tables, XLSX and the briefing pack. Imports the warehouse, never ui/ or pages/."""
