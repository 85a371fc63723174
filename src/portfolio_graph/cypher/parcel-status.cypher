// name: parcel-status
// title: 地块状态 / Parcel status
// description: >
//   Every parcel with its land status (收储, 储备, 出让, 历史遗留…), whether the land is
//   available to build on (出让/已出让/在用), its area and place, and the projects that wait on
//   it: projects built on it (USES_PARCEL) or depending on it (DEPENDS_ON) that are not done.
//   Strict by default: --lenient counts inferred links too.
// params:
//   land_status: {type: string, default: null, help: "only parcels with this land status, e.g. 收储"}
//   waiting_only: {type: bool, default: false, help: "only parcels that some unfinished project waits on"}
// columns:
//   parcel: {zh: 地块, en: "Parcel", help: "the parcel"}
//   parcel_id: {zh: 地块编号, en: "Parcel id", help: "the parcel's id", technical: true}
//   land_status: {zh: 土地状态, en: "Land status", help: "土地状态 as written; empty when the source gives none"}
//   ready: {zh: 可供建设, en: "Ready to build", help: "true when the land is available to build on", format: bool}
//   area_mu: {zh: 面积, en: "Area", help: "area in 亩", format: number, unit: 亩}
//   areas: {zh: 所在片区, en: "Areas", help: "places the parcel lies in (LOCATED_IN, CONTAINS)", format: list}
//   projects: {zh: 相关项目, en: "Projects", help: "every project built on or depending on the parcel", format: list}
//   waiting_projects: {zh: 等待中的项目, en: "Waiting projects", help: "those projects that are not done", format: list}
//   waiting_count: {zh: 等待项目数, en: "Projects waiting", help: "how many projects wait on it", format: int}
// chart: [waiting_count, area_mu]
// chart_label: [parcel]
// table: [parcel, land_status, ready, area_mu, waiting_projects, waiting_count]
MATCH (l:Parcel)
WHERE $land_status IS NULL OR l.land_status = $land_status
// OPTIONAL MATCH without WHERE, the link filters in the aggregation: FalkorDB then traverses in
// batches instead of once per parcel (as it does for a filtered OPTIONAL MATCH or a pattern
// comprehension). The places come first and the project lists last: FalkorDB hashes every
// grouping key of every row, so no aggregation groups by a list of nodes.
OPTIONAL MATCH (l)-[li:LOCATED_IN]->(a1:Area)
WITH l, collect(CASE WHEN $lenient OR NOT coalesce(li.inferred, false) THEN a1.name END) AS located
OPTIONAL MATCH (a2:Area)-[co:CONTAINS]->(l)
WITH l, located, collect(CASE WHEN $lenient OR NOT coalesce(co.inferred, false) THEN a2.name END) AS containing
OPTIONAL MATCH (p:Project)-[r:USES_PARCEL|DEPENDS_ON]->(l)
WITH l, located, containing,
     collect(DISTINCT CASE WHEN $lenient OR NOT coalesce(r.inferred, false) THEN p END) AS projects
WITH l, located, containing, projects,
     [p IN projects WHERE NOT coalesce(p.status IN $status_done, false) | p.name] AS waiting
WHERE NOT $waiting_only OR size(waiting) > 0
RETURN l.name AS parcel, l.id AS parcel_id, l.land_status AS land_status,
       coalesce(l.land_status IN $land_ready, false) AS ready, l.area_mu AS area_mu,
       located + containing AS areas,
       [p IN projects | p.name] AS projects,
       waiting AS waiting_projects,
       size(waiting) AS waiting_count
ORDER BY ready, waiting_count DESC, land_status, parcel_id
