"""The insights pages: dashboards, the key result chart, the review and the reports."""
