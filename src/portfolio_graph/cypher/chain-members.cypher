// name: chain-members
// title: 产业链成员 / Chain members
// description: >
//   A chain's enterprises and projects, with investment, by segment (upstream first) and by
//   position in the flow: 上游 (no segment feeds it), 中游, 下游 (it feeds no segment), read from
//   UPSTREAM_OF. Members placed on the chain as a whole (its 链主, projects that build up the
//   whole chain) come first, with no segment. Strict by default; --lenient adds inferred links.
// params:
//   chain: {type: ref, labels: [Chain], default: null, help: "chain name, alias or id; every chain when empty"}
// columns:
//   chain: 产业链
//   position: order of the segment in the chain; empty for members of the whole chain
//   segment: 环节; empty for members of the whole chain
//   stream: 上游 / 中游 / 下游 from UPSTREAM_OF; empty where no flow is known
//   role: 链主 (anchors the chain), 企业 (an enterprise in the segment or chain), 项目 (a project)
//   member: the enterprise or project
//   status: the project's status word
//   phase: the project's phase (not_started, in_progress, delayed, blocked, done)
//   investment_yi: the project's total investment in 亿元
//   level: the project's level (省重点, 市重大…)
//   operator: enterprises that build or run the project
//   inferred: true where the membership link is an inference
// chart: [investment_yi]
// chart_label: [chain, member]
// table: [chain, position, segment, stream, role, member, status, investment_yi, inferred]
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
// Operators by a batched OPTIONAL MATCH with the filter in the collect (a pattern comprehension
// runs once per member on FalkorDB).
OPTIONAL MATCH (m)-[o:OPERATED_BY]->(e:Enterprise)
WITH c, seg, stream, m, r,
     collect(CASE WHEN $lenient OR NOT coalesce(o.inferred, false) THEN e.name END) AS operators
WITH c, seg, stream, m, r, operators,
     CASE WHEN type(r) = 'ANCHORS' THEN '链主' WHEN m:Project THEN '项目' ELSE '企业' END AS role
RETURN c.name AS chain, seg.position AS position, seg.name AS segment, stream AS stream,
       role AS role, m.name AS member,
       CASE WHEN m:Project THEN m.status END AS status,
       CASE WHEN NOT m:Project THEN null
            WHEN m.status IN $status_done THEN 'done'
            WHEN m.status IN $status_blocked THEN 'blocked'
            WHEN m.status IN $status_delayed THEN 'delayed'
            WHEN m.status IN $status_in_progress THEN 'in_progress'
            ELSE 'not_started' END AS phase,
       CASE WHEN m:Project THEN m.investment_yi END AS investment_yi,
       CASE WHEN m:Project THEN m.level END AS level,
       operators AS operator,
       coalesce(r.inferred, false) AS inferred
ORDER BY chain, coalesce(position, 0), CASE role WHEN '链主' THEN 0 WHEN '企业' THEN 1 ELSE 2 END, member
