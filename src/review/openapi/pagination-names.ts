/** Parameter names that bound a page or say where it starts, across common API styles. */
export const LIMIT_NAMES =
  /^(\$top|top|first|last|limit|page[-_]?size|per[-_]?page|max[-_]?results|max[-_]?items|size|count|page[-_]?limit|max)$/i;
export const CURSOR_NAMES =
  /^(cursor|page[-_]?token|next[-_]?token|continuation([-_]?token)?|starting[-_]?after|ending[-_]?before|after|before|marker|since[-_]?id|next|page[-_]?cursor|(after|before)[-_]?cursor)$/i;
export const OFFSET_NAMES = /^(offset|page|skip|\$skip|start|page[-_]?number|from)$/i;
