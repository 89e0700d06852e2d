/**
 * A small client for the standard Confluent Schema Registry REST API (v7), which Confluent Schema
 * Registry, Apicurio Registry's ccompat API and Karapace all serve. It speaks only that API:
 * register, fetch by id (cached), latest version, compatibility check, and subject / global
 * compatibility config; basic auth or bearer tokens; TLS through the JDK's trust store.
 */
package io.expertflow.schemas.registry;
