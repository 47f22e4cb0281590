"""The shapes at the edge: scenario, records, events, the plan document."""
