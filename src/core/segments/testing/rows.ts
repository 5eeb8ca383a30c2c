/** Rows of the three ClickHouse tables, as the tests load them (times in ms since the epoch). */
export interface ProfileRow {
  workspace_id: string;
  profile_id: string;
  traits: Record<string, unknown>;
  identifier_types: string[];
  identifiers: Record<string, unknown>;
  first_seen: number;
  last_seen: number;
  version: number;
  deleted?: 0 | 1;
}

export interface EventRow {
  workspace_id: string;
  message_id: string;
  event: string;
  type?: string;
  profile_id: string;
  timestamp: number;
  properties: Record<string, unknown>;
}

export interface AliasRow {
  workspace_id: string;
  profile_id: string;
  survivor_id: string;
  version: number;
}

export interface Dataset {
  profiles: ProfileRow[];
  events: EventRow[];
  aliases: AliasRow[];
}
