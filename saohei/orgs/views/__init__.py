"""Pages of the organisation: jurisdictions, offices, units, working groups, people and roles."""
