-- Lookups by household and by person, so a household's case, links and snapshots are read without scanning the
-- organisation's records. Portable SQL, as in 0001.
CREATE INDEX people_by_household ON people (household_id);
CREATE INDEX relationships_by_person_a ON relationships (person_a);
CREATE INDEX relationships_by_person_b ON relationships (person_b);
CREATE INDEX contracts_by_person ON contracts (person_id);
CREATE INDEX assessments_by_household ON assessments (household_id);
