{{/* Names and labels. */}}
{{- define "tracesift.name" -}}
{{- .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "tracesift.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 54 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 54 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{/* 54 characters leave room for "-headless" within the 63-character Service name limit. */}}
{{- define "tracesift.headlessName" -}}
{{- printf "%s-headless" (include "tracesift.fullname" .) -}}
{{- end -}}

{{- define "tracesift.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "tracesift.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{- define "tracesift.selectorLabels" -}}
app.kubernetes.io/name: {{ include "tracesift.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "tracesift.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
{{ include "tracesift.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end -}}

{{/* Where the pod finds its files. */}}
{{- define "tracesift.configDir" -}}/etc/tracesift/config{{- end -}}
{{- define "tracesift.secretsDir" -}}/etc/tracesift/secrets{{- end -}}
{{- define "tracesift.stateRoot" -}}/var/lib/tracesift{{- end -}}

{{/* Kafka properties the chart derives from kafka.sasl and kafka.tls, then kafka.properties on top. */}}
{{- define "tracesift.kafkaProperties" -}}
{{- $kafka := .Values.kafka -}}
{{- $secrets := include "tracesift.secretsDir" . -}}
{{- $props := dict -}}
{{- if or $kafka.sasl.enabled $kafka.tls.enabled -}}
{{- $protocol := "SSL" -}}
{{- if and $kafka.sasl.enabled $kafka.tls.enabled -}}{{- $protocol = "SASL_SSL" -}}
{{- else if $kafka.sasl.enabled -}}{{- $protocol = "SASL_PLAINTEXT" -}}{{- end -}}
{{- $_ := set $props "security.protocol" $protocol -}}
{{- /* Secret values are read from the mounted files at start-up by Kafka's DirectoryConfigProvider. */ -}}
{{- if or $kafka.sasl.enabled (and $kafka.tls.enabled $kafka.tls.certKey) -}}
{{- $_ := set $props "config.providers" "secretfile" -}}
{{- $_ := set $props "config.providers.secretfile.class" "org.apache.kafka.common.config.provider.DirectoryConfigProvider" -}}
{{- $_ := set $props "config.providers.secretfile.param.allowed.paths" $secrets -}}
{{- end -}}
{{- end -}}
{{- if $kafka.sasl.enabled -}}
{{- if not $kafka.sasl.existingSecret -}}
{{- fail "kafka.sasl.enabled needs kafka.sasl.existingSecret: the name of a Secret with the SASL user name and password" -}}
{{- end -}}
{{- $module := "" -}}
{{- if eq $kafka.sasl.mechanism "PLAIN" -}}{{- $module = "org.apache.kafka.common.security.plain.PlainLoginModule" -}}
{{- else if has $kafka.sasl.mechanism (list "SCRAM-SHA-256" "SCRAM-SHA-512") -}}{{- $module = "org.apache.kafka.common.security.scram.ScramLoginModule" -}}
{{- else -}}
{{- fail (printf "kafka.sasl.mechanism %q is not one the chart configures (PLAIN, SCRAM-SHA-256, SCRAM-SHA-512); for another mechanism set kafka.sasl.enabled=false and put the sasl.* properties in kafka.properties" $kafka.sasl.mechanism) -}}
{{- end -}}
{{- $dir := printf "%s/kafka-sasl" $secrets -}}
{{- $_ := set $props "sasl.mechanism" $kafka.sasl.mechanism -}}
{{- $_ := set $props "sasl.jaas.config" (printf "%s required username=\"${secretfile:%s:username}\" password=\"${secretfile:%s:password}\";" $module $dir $dir) -}}
{{- end -}}
{{- if $kafka.tls.enabled -}}
{{- if and $kafka.tls.existingSecret $kafka.tls.caKey -}}
{{- $_ := set $props "ssl.truststore.type" "PEM" -}}
{{- $_ := set $props "ssl.truststore.location" (printf "%s/kafka-tls/ca.crt" $secrets) -}}
{{- end -}}
{{- if or $kafka.tls.certKey $kafka.tls.keyKey -}}
{{- if not (and $kafka.tls.certKey $kafka.tls.keyKey $kafka.tls.existingSecret) -}}
{{- fail "mutual TLS needs kafka.tls.existingSecret with both kafka.tls.certKey and kafka.tls.keyKey" -}}
{{- end -}}
{{- $_ := set $props "ssl.keystore.type" "PEM" -}}
{{- $_ := set $props "ssl.keystore.certificate.chain" (printf "${secretfile:%s/kafka-tls:tls.crt}" $secrets) -}}
{{- $_ := set $props "ssl.keystore.key" (printf "${secretfile:%s/kafka-tls:tls.key}" $secrets) -}}
{{- end -}}
{{- end -}}
{{- range $name, $value := $kafka.properties -}}
{{- $_ := set $props $name $value -}}
{{- end -}}
{{- toYaml $props -}}
{{- end -}}

{{/* The whole tracesift.yaml: values.config plus the settings the chart owns. */}}
{{- define "tracesift.config" -}}
{{- $config := deepCopy (default (dict) .Values.config) -}}
{{- range $owned := list "bootstrap-servers" "application-id" "http-port" "state-dir" "kafka" -}}
{{- if hasKey $config $owned -}}
{{- fail (printf "config.%s is set by the chart: use %s instead" $owned (get (dict "bootstrap-servers" "kafka.bootstrapServers" "application-id" "applicationId" "http-port" "nothing (the pods listen on 8080)" "state-dir" "persistence" "kafka" "kafka.properties, kafka.sasl and kafka.tls") $owned)) -}}
{{- end -}}
{{- end -}}
{{- $_ := set $config "bootstrap-servers" (required "kafka.bootstrapServers is required: HOST:PORT[,HOST:PORT...] of the Kafka cluster" .Values.kafka.bootstrapServers) -}}
{{- $_ := set $config "application-id" .Values.applicationId -}}
{{- $_ := set $config "http-port" 8080 -}}
{{- $_ := set $config "state-dir" (printf "%s/state" (include "tracesift.stateRoot" .)) -}}
{{- $kafka := include "tracesift.kafkaProperties" . | fromYaml -}}
{{- if $kafka -}}
{{- $_ := set $config "kafka" $kafka -}}
{{- end -}}
{{- if .Values.queryApiKeys.existingSecret -}}
{{- $query := default (dict) (get $config "query") -}}
{{- $_ := set $query "api-keys-file" (printf "%s/query-api-keys/%s" (include "tracesift.secretsDir" .) .Values.queryApiKeys.key) -}}
{{- $_ := set $config "query" $query -}}
{{- end -}}
{{- toYaml $config -}}
{{- end -}}
