-- Who proposed the draft, as the Administrative Code names them (mayor, councillors, citizens…);
-- empty on consultations made before the field existed.
ALTER TABLE consultations ADD COLUMN initiator TEXT NOT NULL DEFAULT '';
