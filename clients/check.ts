// Compiled with `tsc --strict` against the types openapi-typescript generates from the live
// /openapi.json (tests/clients/test_generated_clients.py): what a TypeScript client codes against.
import type { components, operations, paths } from "./registry";

type ChangesPage = paths["/api/v1/changes"]["get"]["responses"][200]["content"]["application/json"];
type Program = components["schemas"]["ProgramPublic"];

// the feed's items are typed per entity: `data` of a program change is a program
export function programCodes(page: ChangesPage): string[] {
  const codes: string[] = [];
  for (const item of page.items) {
    if (item.entity === "program" && item.data !== null) {
      codes.push(`${item.data.college_code}/${item.data.major_code}/${item.data.status}`);
    }
  }
  return codes;
}

export function nextSince(page: ChangesPage): number {
  return page.last_seq;
}

export function levelOf(program: Program): string | null | undefined {
  return program.level;
}

// a download is a binary answer, not JSON
type Xlsx = operations["publication_xlsx"]["responses"][200]["content"];
export const xlsxMedia: keyof Xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
