// name: chain-members
// title: 产业链成员 / Chain members
// description: >
//   A chain's enterprises and projects, with investment, by segment (upstream first) and by
//   position in the flow: 上游 (no segment feeds it), 中游, 下游 (it feeds no segment), read from
//   UPSTREAM_OF. Members placed on the chain as a whole (its 链主, projects that build up the
//   whole chain) come first, with no segment. By default one row per place and role with how
//   many members it has and the projects' investment; with detail, one row per member.
//   Strict by default; --lenient adds inferred links.
// params:
//   chain: {type: ref, labels: [Chain], default: null, help: "chain name, alias or id; every chain when empty"}
//   detail: {type: bool, default: false, help: "one row per member instead of counts per segment and role"}
// columns:
//   chain: {zh: 产业链, en: "Chain", help: "the chain"}
//   position: {zh: 环节序号, en: "Segment no.", help: "order of the segment in the chain; empty for members of the whole chain", format: int}
//   segment: {zh: 环节, en: "Segment", help: "环节; empty for members of the whole chain"}
//   stream: {zh: 上中下游, en: "Stream", help: "上游 / 中游 / 下游 from UPSTREAM_OF; empty where no flow is known"}
//   role: {zh: 角色, en: "Role", help: "链主 (anchors the chain), 企业 (an enterprise in the segment or chain), 项目 (a project)"}
//   member: {zh: 成员, en: "Member", help: "the enterprise or project; empty on a summary row"}
//   members: {zh: 成员数, en: "Members", help: "members the row stands for (1 for a member, the count on a summary row)", format: int}
//   status: {zh: 建设状态, en: "Status", help: "the project's status word"}
//   phase: {zh: 阶段代码, en: "Phase code", help: "the project's phase (not_started, in_progress, delayed, blocked, done)", technical: true}
//   investment_yi: {zh: 总投资, en: "Investment", help: "the project's total investment in 亿元; on a summary row of projects, their sum", format: amount, unit: 亿元}
//   level: {zh: 项目级别, en: "Level", help: "the project's level (省重点, 市重大…)"}
//   operator: {zh: 建设/运营单位, en: "Operators", help: "enterprises that build or run the project", format: list}
//   inferred: {zh: 推断, en: "Inferred", help: "true where the membership link is an inference", format: bool}
// chart: [investment_yi]
// chart_label: [chain, segment, role, member]
// table: [chain, position, segment, stream, role, member, members, status, investment_yi, inferred]
MATCH (c:Chain)
WHERE $chain IS NULL OR c.id = $chain
OPTIONAL MATCH (s:ChainSegment)-[po:PART_OF]->(c)
WHERE $lenient OR NOT coalesce(po.inferred, false)
WITH c, collect(s) AS segments
UNWIND [c] + segments AS place
// Upstream and downstream belong to the place, so they are asked once per place, not per member.
WITH c, place,
     [(u:ChainSegment)-[xu:UPSTREAM_OF]->(place) WHERE $lenient OR NOT coalesce(xu.inferred, false) | u] AS ups,
     [(place)-[xd:UPSTREAM_OF]->(d:ChainSegment) WHERE $lenient OR NOT coalesce(xd.inferred, false) | d] AS downs
WITH c, place,
     CASE WHEN place:Chain THEN null ELSE place END AS seg,
     CASE WHEN place:Chain OR (size(ups) = 0 AND size(downs) = 0) THEN null
          WHEN size(ups) = 0 THEN '上游'
          WHEN size(downs) = 0 THEN '下游'
          ELSE '中游' END AS stream
MATCH (m)-[r:IN_CHAIN|ANCHORS|IN_SEGMENT]->(place)
WHERE ($lenient OR NOT coalesce(r.inferred, false)) AND (m:Project OR m:Enterprise)
  AND (NOT coalesce(r.inferred, false) OR r.decision IS NULL OR r.decision IN $counted_decisions)
// Summary rows group the members of a place and role; detail rows keep one group per member and
// link (a member linked twice, as 链主 and as 企业, is listed in both roles).
WITH c, seg, stream,
     CASE WHEN type(r) = 'ANCHORS' THEN '链主' WHEN m:Project THEN '项目' ELSE '企业' END AS role,
     CASE WHEN $detail THEN m END AS member, CASE WHEN $detail THEN r END AS link,
     count(m) AS members, sum(CASE WHEN m:Project THEN m.investment_yi END) AS investment
// Operators by a batched OPTIONAL MATCH with the filter in the collect (a pattern comprehension
// runs once per member on FalkorDB); a summary row has no member, so nothing to traverse.
OPTIONAL MATCH (member)-[o:OPERATED_BY]->(e:Enterprise)
WITH c, seg, stream, role, member, link, members, investment,
     collect(CASE WHEN $lenient OR NOT coalesce(o.inferred, false) THEN e.name END) AS operators
RETURN c.name AS chain, seg.position AS position, seg.name AS segment, stream AS stream,
       role AS role, member.name AS member, members AS members,
       CASE WHEN member:Project THEN member.status END AS status,
       CASE WHEN member IS NULL OR NOT member:Project THEN null
            WHEN member.status IN $status_done THEN 'done'
            WHEN member.status IN $status_blocked THEN 'blocked'
            WHEN member.status IN $status_delayed THEN 'delayed'
            WHEN member.status IN $status_in_progress THEN 'in_progress'
            ELSE 'not_started' END AS phase,
       CASE WHEN member IS NULL THEN (CASE WHEN role = '项目' THEN investment END)
            WHEN member:Project THEN member.investment_yi END AS investment_yi,
       CASE WHEN member:Project THEN member.level END AS level,
       operators AS operator,
       CASE WHEN link IS NULL THEN null ELSE coalesce(link.inferred, false) END AS inferred
ORDER BY chain, coalesce(position, 0), CASE role WHEN '链主' THEN 0 WHEN '企业' THEN 1 ELSE 2 END, member
