/** Escape character of LIKE patterns: not a backslash, which MySQL and SQLite string literals treat differently. */
const ESCAPE = '!';

/** `column LIKE :param ESCAPE '!'`: the same matching on MySQL/MariaDB and SQLite. */
export function likeClause(column: string, param: string): string {
  return `${column} LIKE :${param} ESCAPE '${ESCAPE}'`;
}

/** A LIKE pattern that matches values containing `text` literally (its % and _ are not wildcards). */
export function containsPattern(text: string): string {
  return `%${text.replace(/[!%_]/g, (c) => ESCAPE + c)}%`;
}
