"""Bulk loading: RDF files of any size streamed into the store in bounded memory.

A load reads its files twice. The first pass (``ownership``) keeps, for the few statements that
say who owns what (``tp:ownedBy``, ``tp:partOf``, a budget's or indicator's element, the element
an agreement covers), one entry per plan or other owned root, not per statement. The second pass
(``routing``) gives every statement its target graph and its organisation and spools it into
batches of whole organisations (``spool``), ordered by plan level so that what a plan supports is
in the store before the plan is validated. Each batch is validated (``checking``), then the
graphs complete in it are replaced with the bulk loader; a journal next to the store
(``journal``) says which graphs were started and finished, so a load cut short is continued, and
a graph left half-written is dropped, by the next load. What follows the whole load once (derived
data) is ``finish``.
"""
