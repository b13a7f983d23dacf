"""Planning offices' spreadsheets in and out: a workbook read safely, converted through the
declarative mapping (``spreadsheets/mapping.csvw.json``), and the plans written back into one."""
