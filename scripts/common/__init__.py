"""Rules every tool of scripts/ shares: reading an OpenAPI document (`document`), naming (`names`), shortening text
for a message (`text`). Each rule is written once, here."""
