DROP TABLE tags;
DROP TABLE verifications;
DROP TABLE triggers;
DROP TABLE phases;
DROP TABLE plans;
