/**
 * One settings model for every service: a typed key table per app ({@link SettingTable} of {@link
 * SettingKey}s, each with its type, default, documentation and check, in the spirit of Kafka's
 * {@code ConfigDef}), one {@link SettingsBinder} that merges a properties file, {@code
 * EXPERTFLOW_*} environment variables and command-line values in that order of precedence, and the
 * {@link SettingValues} it produces, from which each app builds its immutable config objects.
 * Parsing is strict: a bad boolean, number or {@link DurationText duration} is an error naming the
 * key and the value, and an unknown key is refused with the closest known key suggested.
 */
package io.expertflow.schemas.settings;
