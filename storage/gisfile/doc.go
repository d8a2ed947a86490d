// Package gisfile reads boundary layers from the files people have them in
// and turns them into the plan's building blocks (units).
//
// Read recognises a file by its content (and, where the content could be
// either, by its extension) and returns a Layer: the polygon features of
// the file in WGS-84 longitude/latitude, each with its number in the file,
// its own identifier, a name and its attributes. Supported are
//
//   - GeoJSON (RFC 7946): a FeatureCollection, a Feature or a bare
//     geometry, read feature by feature so that memory stays bounded;
//   - TopoJSON, through storage/geo, keeping the topology so that shared
//     borders come straight from its arcs;
//   - KML and KMZ: Placemarks with a Polygon or a MultiGeometry, their name
//     and ExtendedData (Data and SchemaData/SimpleData) attributes;
//   - ESRI Shapefile: a .zip holding .shp, .dbf, .prj (and .cpg), or a .shp
//     path with its sibling files. Polygon, PolygonZ and PolygonM shapes are
//     read; the .dbf text is decoded with the code page named by the .cpg
//     file or the header's language driver id (UTF-8, GBK and the common
//     Windows and DOS code pages).
//
// Coordinates may be in EPSG:4326 or in Web Mercator (EPSG:3857). Web
// Mercator is recognised from a .prj file, a GeoJSON "crs" member, or, when
// neither says, from coordinates too large to be degrees; such positions
// are converted to longitude/latitude.
//
// Every input is bounded (see Limits): the bytes read from a file and from
// each archive member, the number of features and of positions. A file that
// is not what its name claims, a zip bomb or a truncated file fails with an
// error naming the file and, where it applies, the feature. Problems with a
// single feature (a point where a polygon was expected, a ring with too few
// positions) do not fail the file: the feature is skipped and the problem
// reported in Layer.Skipped.
//
// BuildUnits turns a layer into engine units: it picks the id and name
// fields (or takes the caller's), merges features sharing an id, repairs
// invalid polygons with storage/geo, computes areas and label points, and
// the shared borders and neighbour relations — from the topology for
// TopoJSON, by matching quantized edges for every other format (Borders).
package gisfile
