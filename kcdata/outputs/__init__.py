"""What kcdata writes: charts, workbooks, the HTML page, the processed CSV files."""
