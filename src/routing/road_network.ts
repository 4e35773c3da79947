/**
 * The road network shared by all profiles: junction nodes, edges between them
 * (degree-2 chains of one way compressed into one edge that keeps its geometry),
 * per-profile weights of each edge direction, barriers and turn restrictions.
 * Built by RoadNetworkBuilder; stored in the routing file; profile graphs and
 * snapping are derived from it.
 */
import type { ProfileName } from './routing_profiles.js';

export const EDGE_ROUNDABOUT = 1;
export const EDGE_MOTORWAY = 2;
export const EDGE_LINK = 4;
export const EDGE_FERRY = 8;

/** Weights are integer tenths of a second, so every engine sums them exactly; 0 = closed. */
export const WEIGHT_PER_SECOND = 10;

export interface ProfileWeights {
  forward: Int32Array;
  backward: Int32Array;
}

/** A via-node turn restriction resolved to edges: an edge arriving at `via`, an edge leaving it. */
export interface TurnRestriction {
  fromEdge: number;
  via: number;
  toEdge: number;
  only: boolean;
}

export interface RoadNetwork {
  nodeCount: number;
  /** OSM id of each junction node. */
  nodeOsmId: Float64Array;
  edgeCount: number;
  edgeFrom: Int32Array;
  edgeTo: Int32Array;
  /** Geometry of edge e: coords [geomStart[e], geomStart[e+1]) (first = from node, last = to node). */
  geomStart: Uint32Array;
  coordLon: Float64Array;
  coordLat: Float64Array;
  /** Metres. */
  edgeLength: Float64Array;
  edgeName: Int32Array;
  edgeRef: Int32Array;
  edgeFlags: Uint8Array;
  /** OSRM road classes of each direction (see road_classes.ts). */
  edgeClasses: Uint8Array;
  strings: string[];
  weights: Partial<Record<ProfileName, ProfileWeights>>;
  /** Junction nodes that stop a profile (bollards for cars, …). */
  barriers: Partial<Record<ProfileName, Int32Array>>;
  restrictions: Partial<Record<ProfileName, TurnRestriction[]>>;
}
