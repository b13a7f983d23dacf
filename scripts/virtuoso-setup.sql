-- Run once on a new Virtuoso database, as dba: isql-vt HOST:PORT dba PASSWORD scripts/virtuoso-setup.sql
-- The SPARQL endpoint runs as the SQL user SPARQL and, for graph-level security, as the web
-- user "nobody". kgservice reads and writes every graph of its own, so nobody may read and
-- write every public graph; Virtuoso's own system graphs become private, so that the default
-- graph (the union of every graph) and GRAPH ?g hold the service's graphs only.
GRANT SPARQL_UPDATE TO "SPARQL";
DB.DBA.RDF_GRAPH_GROUP_CREATE ('http://www.openlinksw.com/schemas/virtrdf#PrivateGraphs', 1);
DB.DBA.RDF_GRAPH_GROUP_INS ('http://www.openlinksw.com/schemas/virtrdf#PrivateGraphs', 'http://www.openlinksw.com/schemas/virtrdf#');
DB.DBA.RDF_GRAPH_GROUP_INS ('http://www.openlinksw.com/schemas/virtrdf#PrivateGraphs', 'http://www.w3.org/ns/ldp#');
DB.DBA.RDF_GRAPH_GROUP_INS ('http://www.openlinksw.com/schemas/virtrdf#PrivateGraphs', 'http://localuriqaserver/sparql');
DB.DBA.RDF_DEFAULT_USER_PERMS_SET ('nobody', 0, 1);
DB.DBA.RDF_DEFAULT_USER_PERMS_SET ('nobody', 7, 0);
